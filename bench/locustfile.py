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

from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

ACCOUNTS = json.loads(open(os.environ["SIA_LOAD_ACCOUNTS"]).read()) if os.environ.get("SIA_LOAD_ACCOUNTS") else {}
JOURNAL = open(os.environ["SIA_LOAD_JOURNAL"], "a", buffering=1) if os.environ.get("SIA_LOAD_JOURNAL") else None
API = "/api/architecture/business-processes/"
EDITABLE = ("draf", "dikembalikan")  # what an operator may change (architecture.choices.EDITABLE_BY_OPERATOR)
_next = {kind: itertools.count() for kind in ("operators", "reviewers")}
RESENDS = open(os.environ["SIA_LOAD_RESENDS"], "a", buffering=1) if os.environ.get("SIA_LOAD_RESENDS") else None


class BrowserResend(Retry):
    """One resend of a request whose connection the server closed without a byte of answer (a browser does the
    same); a connection refused, a timeout or a reset in the middle of an answer stays an error."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if response is None and error is not None and not any(
                text in repr(error) for text in ("RemoteDisconnected", "ConnectionResetError", "BadStatusLine")):
            raise MaxRetryError(_pool, url, reason=error) from error  # requests reports it as usual
        if RESENDS is not None:
            RESENDS.write(f"{method} {url} {error!r}\n")
        return super().increment(method, url, response, error, _pool, _stacktrace)


def browser_like(user) -> None:
    adapter = HTTPAdapter(max_retries=BrowserResend(total=1, connect=0, read=1, status=0, other=0,
                                                    allowed_methods=None, raise_on_status=False))
    user.client.mount("http://", adapter)


def sign_in(user, username: str):
    """The sign-in form, as a browser fills it (CSRF cookie and field)."""
    browser_like(user)
    user.client.get("/akun/login/", name="masuk (form)")
    token = user.client.cookies.get("csrftoken")
    with user.client.post("/akun/login/", data={"username": username, "password": ACCOUNTS["password"],
                                                "csrfmiddlewaretoken": token},
                          headers={"Referer": user.host + "/akun/login/"}, name="masuk (kirim)",
                          allow_redirects=False, catch_response=True) as response:
        if response.status_code != 302:
            response.failure(f"masuk gagal: {response.status_code}")
    user.csrf = user.client.cookies.get("csrftoken")


class Operator(HttpUser):
    wait_time = between(1, 3)
    weight = 10

    def on_start(self):
        account = ACCOUNTS["operators"][next(_next["operators"]) % len(ACCOUNTS["operators"])]
        self.username, self.department = account["username"], account["department"]
        self.client.headers["Authorization"] = f"Token {account['token']}"
        browser_like(self)
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
                if response.status_code == 403 and self.no_longer_editable(target["id"]):
                    response.success()  # the other operator submitted it between our read and our save
                    return
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return

    def no_longer_editable(self, pk) -> bool:
        again = self.client.get(f"{API}{pk}/", name="operator: API rincian")
        return again.status_code == 200 and again.json()["status"] not in EDITABLE

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


class Reviewer(HttpUser):
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


class Koordinator(HttpUser):
    wait_time = between(2, 5)
    fixed_count = 1

    def on_start(self):
        sign_in(self, ACCOUNTS["koordinator"])

    @task
    def dashboard(self):
        self.client.get("/", name="koordinator: dasbor")
