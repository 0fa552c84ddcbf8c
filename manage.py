#!/usr/bin/env python
from samaki.__main__ import main

if __name__ == "__main__":
    main()
