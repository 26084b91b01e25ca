"""The migration life-cycle library: plain functions and classes that never print.

Management commands parse arguments, call into this package and print; tests
call it directly.
"""
