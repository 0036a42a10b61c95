"""How passwords and passphrases are hashed: Argon2id at OWASP's minimum cost.

OWASP's Password Storage Cheat Sheet: Argon2id with at least 19 MiB of memory,
2 passes and 1 lane. Django's own Argon2 parameters (100 MiB, 2 passes, 8 lanes)
took ~420 ms a check on this project's 2-core machine; these take ~50 ms, so a
passphrase turn stays within its 150 ms budget while a stolen hash still costs
an attacker 19 MiB and two passes per guess. Hashes made with other parameters
(or by PBKDF2, listed after this hasher in PASSWORD_HASHERS) are re-hashed with
these on their next successful check.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP's minimum: m=19 MiB (in KiB), t=2, p=1.
OWASP_MEMORY_KIB = 19 * 1024
OWASP_TIME_COST = 2
OWASP_PARALLELISM = 1


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id hasher (same `argon2$argon2id$...` format) with OWASP's minimum parameters."""

    memory_cost = OWASP_MEMORY_KIB
    time_cost = OWASP_TIME_COST
    parallelism = OWASP_PARALLELISM
