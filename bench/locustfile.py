"""The simulated users of the load test (bench/load.py prepares the accounts, starts the server and runs Locust
on this file). Three kinds, as at a workshop:

- operators (most users, two per OPD sharing its objects): read their OPD's drafts through the API, edit one
  (PATCH with the ``lock_version`` they read: a 409 from the other operator's newer save is expected, they read
  again), now and then submit one for review. Every accepted edit appends a marker of its own to the object's
  description and is written to the journal, so that bench/load.py finds afterwards whether any accepted edit
  was lost;
- reviewers (verifikator): open their queue page, take a submitted object of their share of the queue, verify
  or return it with a comment;
- the koordinator: the dashboard.

Accounts come from the JSON file ``SIA_LOAD_ACCOUNTS`` (API tokens of the operators, passwords of the others);
the journal is ``SIA_LOAD_JOURNAL``. No Django import here: Locust's process only speaks HTTP.

Like a browser, a user sends a request once more when the server closed the kept-alive connection it was sent on
before answering (the server ends idle connections after its keep-alive time, and a worker that is replaced
after its ``max_requests`` closes those it holds): such a request never reached the application. Each resend is
written to ``SIA_LOAD_RESENDS`` and reported; any other failure is an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from geventhttpclient.response import HTTPConnectionClosed
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

ACCOUNTS = json.loads(open(os.environ["SIA_LOAD_ACCOUNTS"]).read()) if os.environ.get("SIA_LOAD_ACCOUNTS") else {}
JOURNAL = open(os.environ["SIA_LOAD_JOURNAL"], "a", buffering=1) if os.environ.get("SIA_LOAD_JOURNAL") else None
API = "/api/architecture/business-processes/"
EDITABLE = ("draf", "dikembalikan")  # what an operator may change (architecture.choices.EDITABLE_BY_OPERATOR)
_next = {kind: itertools.count() for kind in ("operators", "reviewers")}
RESENDS = open(os.environ["SIA_LOAD_RESENDS"], "a", buffering=1) if os.environ.get("SIA_LOAD_RESENDS") else None
# The server closed the connection before a byte of answer: on a kept-alive connection the request never reached
# the application. (A reset after part of the answer is an HTTPParseError or a socket error while the body is read,
# a refused connection a ConnectionRefusedError, a timeout a socket.timeout: none of them is resent.)
CLOSED_BEFORE_ANSWER = (HTTPConnectionClosed, ConnectionResetError, BrokenPipeError)


def moved(read: dict, again: dict) -> bool:
    """Whether a refused edit of the object ``read`` is explained by what others did since: it is no longer
    editable, or its version moved (another operator submitted it and a reviewer returned it before we read it
    again: editable once more, but not the object we edited). A refusal of an unchanged, editable object is an
    error."""
    return again["status"] not in EDITABLE or again["lock_version"] != read["lock_version"]


class BrowserUser(FastHttpUser):
    """Locust's FastHttpUser (geventhttpclient: a fraction of the client CPU of requests/urllib3, which runs on the
    server's cores here) with one connection per user, like a browser tab, and the browser's resend: a request
    whose kept-alive connection the server closed without a byte of answer is sent once more (whatever its method,
    as a browser does) and written to SIA_LOAD_RESENDS. geventhttpclient itself already sends an idempotent
    request (GET) again on a fresh connection in that case, without telling: those resends are not counted."""

    abstract = True
    concurrency = 1  # one kept-alive connection per user
    max_retries = 0

    def __init__(self, environment):
        super().__init__(environment)
        agent = self.client.client
        send = agent._urlopen

        def urlopen_resending_once(request):
            try:
                return send(request)
            except CLOSED_BEFORE_ANSWER as error:
                if isinstance(error, HTTPConnectionClosed) and "waiting for 100 Continue" in str(error):
                    raise
                if RESENDS is not None:
                    RESENDS.write(f"{request.method} {request.url} {error!r}\n")
                return send(request)

        agent._urlopen = urlopen_resending_once

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.client.cookiejar if c.name == name), None)


def sign_in(user: BrowserUser, username: str):
    """The sign-in form, as a browser fills it (CSRF cookie and field)."""
    user.client.get("/akun/login/", name="masuk (form)")
    token = user.cookie("csrftoken")
    with user.client.post("/akun/login/", data={"username": username, "password": ACCOUNTS["password"],
                                                "csrfmiddlewaretoken": token},
                          headers={"Referer": user.host + "/akun/login/"}, name="masuk (kirim)",
                          allow_redirects=False, catch_response=True) as response:
        if response.status_code != 302:
            response.failure(f"masuk gagal: {response.status_code}")
        else:
            response.success()  # the redirect after signing in (FastHttpUser counts a 302 as success too)
    user.csrf = user.cookie("csrftoken")


class Operator(BrowserUser):
    wait_time = between(1, 3)
    weight = 10

    def on_start(self):
        account = ACCOUNTS["operators"][next(_next["operators"]) % len(ACCOUNTS["operators"])]
        self.username, self.department = account["username"], account["department"]
        self.client.auth_header = f"Token {account['token']}"
        self.edits = 0

    def own(self) -> list[dict]:
        """The OPD's objects (the pool is small: one page holds them all)."""
        return self.client.get(f"{API}?department={self.department}&limit=100",
                               name="operator: API daftar OPD").json()["results"]

    @task(5)
    def edit(self):
        # an operator edits drafts and returned objects; submitted and reviewed ones are the reviewers'
        editable = [o for o in self.own() if o["status"] in EDITABLE]
        if not editable:
            return
        target = random.choice(editable)
        for _ in range(3):  # a conflict: read again and redo the edit on the newer version
            current = self.client.get(f"{API}{target['id']}/", name="operator: API rincian").json()
            if current["status"] not in EDITABLE:
                return  # the other operator submitted it meanwhile
            self.edits += 1
            marker = f"[{self.username}#{self.edits}]"
            body = {"description": (current["description"] + " " + marker).strip(),
                    "lock_version": current["lock_version"]}
            with self.client.patch(f"{API}{target['id']}/", json=body, name="operator: API ubah (PATCH)",
                                   catch_response=True) as response:
                if response.status_code == 200:
                    JOURNAL and JOURNAL.write(f"{target['id']} {marker}\n")
                    return
                if response.status_code == 409:
                    response.success()  # the optimistic lock did its work: nothing was overwritten
                    continue
                if response.status_code == 403 and self.moved_since(current):
                    response.success()  # submitted (and perhaps already returned) between our read and our save
                    return
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return

    def moved_since(self, read: dict) -> bool:
        again = self.client.get(f"{API}{read['id']}/", name="operator: API rincian")
        return again.status_code == 200 and moved(read, again.json())

    @task(1)
    def submit(self):
        ready = [o for o in self.own() if o["status"] in EDITABLE]
        if not ready:
            return
        with self.client.post(f"{API}{random.choice(ready)['id']}/submit/", json={"comment": ""},
                              name="operator: API ajukan", catch_response=True) as response:
            if response.status_code == 400 and "diajukan" in response.text.lower() or response.status_code == 409:
                response.success()  # the other operator submitted or edited it first (409: between our read and ours)
            elif response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Reviewer(BrowserUser):
    wait_time = between(1, 3)
    fixed_count = int(os.environ.get("SIA_LOAD_REVIEWERS", "1"))

    def on_start(self):
        self.index = next(_next["reviewers"]) % len(ACCOUNTS["reviewers"])
        sign_in(self, ACCOUNTS["reviewers"][self.index])

    @task
    def review(self):
        self.client.get("/arsitektur/perlu-tindakan/", name="verifikator: antrean (halaman)")
        queue = self.client.get(f"{API}?status=diajukan&limit=50", name="verifikator: API antrean").json()["results"]
        share = [o for o in queue if o["id"] % len(ACCOUNTS["reviewers"]) == self.index]  # no two take one object
        if not share:
            return
        target = random.choice(share)
        action, comment = random.choice([("verify", ""), ("return", "Lengkapi uraian dan indikator kinerjanya.")])
        self.client.post(f"{API}{target['id']}/{action}/", json={"comment": comment},
                         headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/"},
                         name=f"verifikator: API {action}")


class Koordinator(BrowserUser):
    wait_time = between(2, 5)
    fixed_count = 1

    def on_start(self):
        sign_in(self, ACCOUNTS["koordinator"])

    @task
    def dashboard(self):
        self.client.get("/", name="koordinator: dasbor")
