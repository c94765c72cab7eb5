"""Two writers of the architecture at once on PostgreSQL: recording a change (``sia.core.generations``) must never
make one wait on the other in a cycle. A review step locks its object and then saves it; an edit saves another
object and then links it to the first. Each may wait for the other's object, never for a shared row."""

import threading
import time

import pytest
from django.db import DatabaseError, connection, transaction

from sia.architecture.models import Application, Server

from .conftest import make


@pytest.mark.django_db(transaction=True)
def test_a_review_step_and_an_edit_at_once_do_not_deadlock(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks of two transactions at once: PostgreSQL (SQLite locks the whole database)")
    server = make(Server, world.kominfo, "Server Bersama")
    app = make(Application, world.dinkes, "Aplikasi Dinkes")
    locked, saved, errors, done = threading.Event(), threading.Event(), {}, {}

    def review_step():  # as workflow.transition: lock the object, then save it
        try:
            with transaction.atomic():
                obj = Server.objects.select_for_update().get(pk=server.pk)
                locked.set()
                saved.wait(5)
                time.sleep(0.3)  # the edit is now waiting for this server
                obj.save()
            done["review"] = True
        except DatabaseError as error:
            errors["review"] = repr(error)
        finally:
            connection.close()

    def edit():  # as the edit form: save the object, then link it to the locked server
        try:
            locked.wait(5)
            with transaction.atomic():
                obj = Application.objects.get(pk=app.pk)
                obj.save()
                saved.set()
                obj.servers.add(server)
            done["edit"] = True
        except DatabaseError as error:
            errors["edit"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=review_step), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert done == {"review": True, "edit": True}
    assert list(Application.objects.get(pk=app.pk).servers.all()) == [server]
