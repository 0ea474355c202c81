"""`python -m motion_studio ...` is the `motion-studio` command (what torchrun and accelerate launch run:
`torchrun --nproc_per_node 2 -m motion_studio train --preset smoke --out DIR --device cpu`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
