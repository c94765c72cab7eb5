"""The load test's simulated browser (bench/locustfile.py, Locust's FastHttpUser): a request whose kept-alive
connection the server closed without a byte of answer is sent once more, whatever its method, and written to the
resend journal; a connection that breaks in the middle of an answer is an error and is not resent (the request may
have been applied). Locust patches the process with gevent when imported, so the client runs in a subprocess; the
server is a plain socket here that answers each connection as the test says."""

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = """
import json, os, sys
os.environ["SIA_LOAD_RESENDS"] = sys.argv[2]
sys.path.insert(0, sys.argv[3])
import locustfile
from locust.env import Environment

class User(locustfile.BrowserUser):
    host = sys.argv[1]

env = Environment(user_classes=[User])
events = []
env.events.request.add_listener(lambda name, exception=None, **kw: events.append([name, repr(exception)]))
user = User(env)
response = user.client.patch("/api/x/1/", json={"description": "a"}, name="ubah")
print(json.dumps({"status": response.status_code, "body": response.text if response.status_code else "",
                  "events": events}))
"""
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"ok\": true}"[:-1]


def read_request(conn) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0)
    while len(body) < length:
        body += conn.recv(65536)
    return head


def serve(answers: list) -> tuple[str, list, threading.Thread]:
    """A server answering its successive connections with ``answers`` (bytes; b"" closes without a byte)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    received = []

    def run():
        for answer in answers:
            conn, _ = listener.accept()
            received.append(read_request(conn).split(b"\r\n")[0].decode())
            if answer:
                conn.sendall(answer)
            conn.close()
        listener.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", received, thread


def run_client(url: str, resends: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CLIENT, url, str(resends), str(ROOT / "bench")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_patch_on_a_connection_closed_before_any_answer_is_resent_once_and_journaled(tmp_path):
    url, received, thread = serve([b"", ANSWER + b"}"])
    result = run_client(url, tmp_path / "resends.txt")
    thread.join(10)
    assert received == ["PATCH /api/x/1/ HTTP/1.1"] * 2
    assert result["status"] == 200 and result["events"] == [["ubah", "None"]], result
    lines = (tmp_path / "resends.txt").read_text().splitlines()
    assert len(lines) == 1 and lines[0].startswith("PATCH ") and "/api/x/1/" in lines[0]


def test_a_connection_broken_in_the_middle_of_an_answer_is_an_error_and_not_resent(tmp_path):
    url, received, thread = serve([ANSWER[:40], ANSWER + b"}"])
    result = run_client(url, tmp_path / "resends.txt")
    assert received == ["PATCH /api/x/1/ HTTP/1.1"]  # the second answer was never asked for
    assert result["events"][0][0] == "ubah" and result["events"][0][1] != "None"
    assert not (tmp_path / "resends.txt").exists() or not (tmp_path / "resends.txt").read_text()


def test_a_refused_edit_counts_as_a_race_only_when_the_object_moved_since_it_was_read():
    """An operator's PATCH refused with 403: explained when the object was submitted meanwhile, or submitted and
    returned already (editable again, at a newer version); an error when it is the same editable object."""
    check = """
import json, sys
sys.path.insert(0, sys.argv[1])
from locustfile import moved
read = {"id": 1, "status": "draf", "lock_version": 5}
print(json.dumps([moved(read, {"status": "diajukan", "lock_version": 6}),
                  moved(read, {"status": "dikembalikan", "lock_version": 7}),
                  moved(read, {"status": "draf", "lock_version": 5})]))
"""
    done = subprocess.run([sys.executable, "-c", check, str(ROOT / "bench")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [True, True, False]
