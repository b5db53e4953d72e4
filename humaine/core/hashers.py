"""Django's PBKDF2 password hasher with its work at low priority (core.low_priority).

The same algorithm (``pbkdf2_sha256``), iterations and stored hashes as Django's default:
only where the hash is computed changes, so a flood of login guesses takes the processor
only when the pages leave it.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from . import low_priority


class LowPriorityPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    def encode(self, password, salt, iterations=None):
        encode = super().encode
        return low_priority.run(encode, password, salt, iterations)
