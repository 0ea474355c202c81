"""Start Motion Studio's desktop app: `python main.py [--checkpoint DIR] [--prompt TEXT] ...`."""
import time

_STARTED = time.perf_counter()

import sys  # noqa: E402

from motion_studio.app.launch import run_app  # noqa: E402

if __name__ == "__main__":
    sys.exit(run_app(sys.argv[1:], started_at=_STARTED))
