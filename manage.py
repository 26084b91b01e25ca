#!/usr/bin/env python
"""Django's command-line utility for the Americano database project."""

import sys

from americano.cli import main

if __name__ == "__main__":
    main(sys.argv)
