"""What the gateway tests share: the SMSC simulator as a process, a
transport to it, and what the SMSC holds, reassembled."""

import select
import subprocess
import sys
import time
from pathlib import Path

SMSC = Path(__file__).resolve().parents[1] / "smsc" / "smsc.py"

SYSTEM_ID = "fsla"
PASSWORD = "s3cr#Pw9"


class Smsc:
    """The simulator (tests/smsc/smsc.py) as a real process."""

    def __init__(self, directory, tls=None, **options):
        """``options``: the simulator's, e.g. ``rate=40``,
        ``receipt_delay=0.2``, ``crash_after=5`` (they may change before a
        restart)."""
        self.state = str(directory / "smsc.state")
        self.tls, self.options = tls, options
        self.port, self.proc = 0, None

    def start(self):
        """Start, or start again on the same state and port."""
        self.stop()
        command = [
            sys.executable,
            str(SMSC),
            "--port",
            str(self.port),
            "--system-id",
            SYSTEM_ID,
            "--password",
            PASSWORD,
            "--state",
            self.state,
        ]
        for option, value in self.options.items():
            command += ["--" + option.replace("_", "-"), str(value)]
        if self.tls:
            command += ["--tls-cert", self.tls[0], "--tls-key", self.tls[1]]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready = select.select([self.proc.stdout], [], [], 0.5)[0]
            if ready:
                line = self.proc.stdout.readline()
                if line.startswith("LISTENING "):
                    self.port = int(line.split()[1])
                    return self
            if self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError("the SMSC simulator did not start")

    def kill(self):
        """kill -9: no goodbye, no flush beyond what it already wrote."""
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc and not self.proc.stdout.closed:
            self.proc.stdout.close()

    def submits(self):
        from smsc import read_submits

        return read_submits(self.state)


def transport(smsc, **options):
    """An SmppTransport to ``smsc`` with the test credentials."""
    from field_service_sla.gateways.smpp import SmppTransport

    options.setdefault("timeout", 5)
    return SmppTransport(
        "127.0.0.1",
        smsc.port,
        options.pop("system_id", SYSTEM_ID),
        options.pop("password", PASSWORD),
        source_addr="FSLA",
        **options,
    )


def reassemble(rows):
    """The texts the SMSC holds: {(number, text): times held}, a
    concatenated message counted once when all its parts are there."""
    held, groups = {}, {}
    for row in rows:
        if row["ref"] is None:
            key = (row["destination"], row["text"])
            held[key] = held.get(key, 0) + 1
            continue
        group = groups.setdefault((row["destination"], row["ref"], row["total"]), [])
        group.append(row)
    for (number, _ref, total), parts in groups.items():
        # one reference may carry a text twice (sent again whole): cut the
        # parts into runs, each a complete 1..total sequence
        runs = {}
        for part in parts:
            runs.setdefault(part["seq"], []).append(part["text"])
        complete = min(len(runs.get(seq, [])) for seq in range(1, total + 1))
        for copy in range(complete):
            text = "".join(runs[seq][copy] for seq in range(1, total + 1))
            held[(number, text)] = held.get((number, text), 0) + 1
    return held
