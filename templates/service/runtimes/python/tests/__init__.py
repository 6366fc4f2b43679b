# Makes tests/ a package, so that a plain `python -m unittest` finds these tests as well.
