#!/usr/bin/env python3
"""A bgtask task plugin in Python, written from docs/protocol.md alone.

Entry points:
  Tasks.PyEcho  logs the raw notification, takes a deferral, reports
                progress from a worker thread, completes the deferral.
  Tasks.PyWait  waits for the host's cancel and completes, logging the reason.
  Tasks.PyFail  fails with an error text.
"""
import base64
import json
import sys
import threading
import time

ENTRY_POINTS = ["Tasks.PyEcho", "Tasks.PyFail", "Tasks.PyWait"]
out_lock = threading.Lock()


def send(msg):
    with out_lock:
        sys.stdout.write(json.dumps(msg) + "\n")
        sys.stdout.flush()


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def read_message():
    """The next message from the host, or None at end of file."""
    while True:
        line = sys.stdin.readline()
        if line == "":
            return None
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            log("ignoring a bad line from the host")
            continue
        if isinstance(msg, dict) and isinstance(msg.get("type"), str):
            return msg


def main():
    send({"type": "handshake", "protocol": 1, "entry_points": ENTRY_POINTS, "sdk": "python"})
    while True:
        req = read_message()
        if req is None:
            return 0
        if req["type"] == "describe":
            send({"type": "description", "entry_points": ENTRY_POINTS})
            return 0
        if req["type"] == "run":
            return run(req)
        # anything else before a request is ignored


def run(req):
    iid = req["instance_id"]
    canceled = threading.Event()
    reason = {"name": None}

    def watch_host():
        while True:
            msg = read_message()
            if msg is None:
                reason["name"] = reason["name"] or "Abort"
                canceled.set()
                return
            if msg["type"] == "cancel" and msg.get("instance_id") == iid:
                reason["name"] = msg.get("reason", "Abort")
                canceled.set()

    threading.Thread(target=watch_host, daemon=True).start()

    entry = req["registration"]["entry_point"]
    if entry == "Tasks.PyEcho":
        push = req["trigger"].get("push") or {}
        content = base64.b64decode(push.get("content_bytes") or "")
        log("content:", push.get("content"), "bytes:", len(content))
        send({"type": "deferral_taken", "instance_id": iid, "deferral_id": 1})
        done = threading.Event()

        def work():
            send({"type": "progress", "instance_id": iid, "percent": 50})
            time.sleep(0.05)
            send({"type": "progress", "instance_id": iid, "percent": 100})
            send({"type": "deferral_completed", "instance_id": iid, "deferral_id": 1})
            done.set()

        threading.Thread(target=work).start()
        done.wait()
        send({"type": "completion", "instance_id": iid, "success": True})
    elif entry == "Tasks.PyWait":
        canceled.wait()
        log("canceled:", reason["name"])
        send({"type": "completion", "instance_id": iid, "success": True})
    elif entry == "Tasks.PyFail":
        send({"type": "completion", "instance_id": iid, "success": False, "error": "python says no"})
    else:
        send({"type": "completion", "instance_id": iid, "success": False,
              "error": "no task for entry point %r" % entry})
    return 0


if __name__ == "__main__":
    sys.exit(main())
