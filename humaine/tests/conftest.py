# The toy capability (humaine/tests/toy/) is an app installed only by
# test_adding_a_capability.py; its modules are not collected (nor imported for doctests).
collect_ignore = ["toy"]
