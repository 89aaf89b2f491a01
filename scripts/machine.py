"""The machine a figure was measured on: its core count and processor.

Both benchmark scripts print this beside every figure: the same commit has measured
twice as fast on one 2-core machine as on another (docs/benchmarks.md, sixth pass), so a
figure without its machine cannot be compared with another.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path


@functools.cache
def processor() -> str:
    """The processor's model, as the kernel names it, with its family and model numbers
    (a virtual machine's name can be as plain as "Intel(R) Xeon(R) Processor")."""
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(":")
            if not name.strip():
                break  # the first processor is enough
            fields.setdefault(name.strip(), value.strip())
    except OSError:
        pass
    if "model name" not in fields:
        return "unknown"
    return f"{fields['model name']}, family {fields.get('cpu family', '?')} model {fields.get('model', '?')}"


def cores() -> int:
    return os.cpu_count() or 1


def described() -> str:
    """The machine in words, for a line of figures: "2 cores, Intel(R) Xeon(R) Processor, family 6 model 167"."""
    return f"{cores()} cores, {processor()}"
