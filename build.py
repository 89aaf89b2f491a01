#!/usr/bin/env python3
"""Build the performance reports site in this folder.

    python build.py build        validate, then write the site to output/
    python build.py validate     check the data and content; write nothing
    python build.py serve        build, then preview at http://127.0.0.1:8000/

Run `python build.py --help` for every option.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # run from a fresh clone, installed or not

from perfsite.cli import main  # noqa: E402

if __name__ == "__main__":
    main(default_site=HERE)
