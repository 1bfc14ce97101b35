#!/usr/bin/env python
from urja.manage import main

if __name__ == "__main__":
    main()
