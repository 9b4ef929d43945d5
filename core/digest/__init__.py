"""The weekly (or daily) digest: what a team did in a period, what it means and the one thing to do next."""

from core.digest.data import digest_json
from core.digest.model import Digest, build_digest, read_digest
from core.digest.reply import digest_reply

__all__ = ["Digest", "build_digest", "digest_json", "digest_reply", "read_digest"]
