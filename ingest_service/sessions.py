"""Signed, expiring reader sessions: what the sign-in cookie holds instead of the token.

A session reads `<key id>.<expiry>.<nonce>.<signature>`, the signature an HMAC-SHA256 of
the rest under a key derived from one configured read token. So the token never leaves
the server again, a session ends at its expiry, and removing a token from the
configuration ends every session signed with it. Every worker derives the same keys
from the same tokens: any of them verifies what another issued.
"""

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Sequence

# A working day; the form asks again after it.
SESSION_MAX_AGE_S = 12 * 3600


def _derive(token: str, purpose: bytes) -> bytes:
    return hmac.new(token.encode(), b"clickstream reader session: " + purpose, "sha256").digest()


class Sessions:
    def __init__(
        self,
        tokens: Sequence[str],
        *,
        max_age_s: int = SESSION_MAX_AGE_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # The key id names the token's key without revealing anything of the token.
        self._key_ids = {token: _derive(token, b"key id")[:8].hex() for token in tokens}
        self._keys = {key_id: _derive(t, b"signing key") for t, key_id in self._key_ids.items()}
        self.max_age_s = max_age_s
        self._clock = clock

    def issue(self, token: str) -> str:
        """A new session for a reader who presented `token`, one of the configured ones."""
        key_id = self._key_ids[token]
        expiry = int(self._clock()) + self.max_age_s
        unsigned = f"{key_id}.{expiry}.{secrets.token_urlsafe(12)}"
        return f"{unsigned}.{self._signature(self._keys[key_id], unsigned)}"

    def valid(self, session: str | None) -> bool:
        unsigned, _, signature = (session or "").rpartition(".")
        key_id, _, rest = unsigned.partition(".")
        expiry, _, _ = rest.partition(".")
        key = self._keys.get(key_id)
        if key is None or not (expiry.isascii() and expiry.isdigit() and len(expiry) < 16):
            return False
        expected = self._signature(key, unsigned)
        signed = hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
        return signed and self._clock() < int(expiry)

    @staticmethod
    def _signature(key: bytes, unsigned: str) -> str:
        digest = hmac.new(key, unsigned.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
