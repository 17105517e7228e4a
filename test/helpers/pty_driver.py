"""Drive a command in a real pseudo-terminal: wait for text, type keys, report output and exit code.

Usage: python3 pty_driver.py '<json steps>' cmd args...
steps: [[regex_to_wait_for, keys_to_send], ...]; keys are sent as UTF-8 (use "\\r" for Enter,
"\\x03" for Ctrl-C, "\\x1b[B" for Down). Prints one JSON object: {"exit": code, "output": text}.
"""
import json, os, pty, re, select, sys, time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][AB012]|\r")


def main():
    steps = json.loads(sys.argv[1])
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[2], sys.argv[2:])
    raw = b""
    seen = 0  # steps wait only for text that appeared after the previous step
    failure = None
    for pattern, keys in steps:
        deadline = time.time() + 30
        while True:
            text = ANSI.sub("", raw.decode("utf-8", "replace"))
            match = re.search(pattern, text[seen:])
            if match:
                seen += match.end()
                break
            if time.time() > deadline:
                failure = "timed out waiting for %r" % pattern
                break
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    failure = "process ended while waiting for %r" % pattern
                    break
                raw += chunk
        if failure:
            break
        time.sleep(0.15)
        os.write(fd, keys.encode())
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            raw += chunk
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"exit": code, "output": ANSI.sub("", raw.decode("utf-8", "replace")), "failure": failure}))


main()
