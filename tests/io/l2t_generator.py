"""Made-up but plausible l2tcsv rows, for tests and for timing a big import.

    python tests/io/l2t_generator.py 1000000 big.csv

writes a million-row l2tcsv file (about 260 MB) in plaso's way: no quoting, commas in
values replaced by spaces, a few MACB variants, mostly UTC with some Europe/Berlin.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta

EPOCH = datetime(1970, 1, 1)

HEADER = (
    "date,time,timezone,MACB,source,sourcetype,type,user,host,short,desc,version,"
    "filename,inode,notes,format,extra"
)
_KINDS = [
    ("M...", "FILE", "OS:stat", "Content Modification Time", "filestat"),
    (".A..", "FILE", "OS:stat", "Last Access Time", "filestat"),
    ("..C.", "FILE", "OS:stat", "Metadata Modification Time", "filestat"),
    ("...B", "FILE", "OS:stat", "Creation Time", "filestat"),
    ("MACB", "REG", "NTUSER.DAT key", "Content Modification Time", "winreg/default"),
    (".A..", "WEBHIST", "Chrome History", "Last Visited Time", "sqlite/chrome_27_history"),
    ("..C.", "LOG", "Syslog", "Entry Written", "syslog"),
]
_WORDS = ("report", "final", "invoice", "backup", "cache", "temp", "login", "session", "admin")


def l2t_lines(count: int, seed: int = 1) -> Iterator[str]:
    """The header and ``count`` rows, each ending in ``\\n``."""
    rng = random.Random(seed)
    yield HEADER + "\n"
    t = 1_600_000_000
    for i in range(count):
        t += rng.randrange(0, 40)
        macb, source, sourcetype, meaning, parser = _KINDS[i % len(_KINDS)]
        days, rest = divmod(t, 86_400)
        when = EPOCH + timedelta(days=days, seconds=rest)
        zone = "UTC"
        if i % 50 == 0:
            zone = "Europe/Berlin"
        path = f"/Users/u{i % 97}/Documents/{rng.choice(_WORDS)}-{i}.docx"
        short = path if source == "FILE" else f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} #{i}"
        desc = f"TSK:{path} Type: file" if source == "FILE" else f"{short} (from host-{i % 13})"
        extra = f"file_size: ({rng.randrange(10**6)} ) is_allocated: True"
        yield (
            f"{when:%m/%d/%Y},{when:%H:%M:%S},{zone},{macb},{source},{sourcetype},{meaning},"
            f"-,WKS-{i % 40:03d},{short},{desc},2,TSK:{path},{i + 1000},-,{parser},{extra}\n"
        )


def write_l2tcsv(path: str, count: int, seed: int = 1) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.writelines(l2t_lines(count, seed))


if __name__ == "__main__":
    write_l2tcsv(sys.argv[2], int(sys.argv[1]))
