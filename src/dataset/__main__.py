"""`python -m dataset` works like the `dataset` command."""

from .cli import main

if __name__ == "__main__":
    main()
