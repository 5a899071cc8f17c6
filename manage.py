#!/usr/bin/env python
from cma.cli import main

if __name__ == "__main__":
    main()
