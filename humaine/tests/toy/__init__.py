"""A toy capability, installed only by ``humaine/tests/test_adding_a_capability.py``.

It follows docs/development.md, "Adding a capability", step by step, and edits no other
app's files: staff write remarks on an inquiry (a panel on the inquiry's page), everyone
who may see the inquiry reads them (an access rule), a menu entry lists them, a person's
remarks are in their export and erasure (a personal-data section), and a job counts the
words of an inquiry's remarks with its progress on a page of its own. It is never part
of the product (not in ``INSTALLED_APPS``).
"""
