"""MinHash signatures of a text's shingles and their LSH band keys: one implementation
for the appeals' near-duplicates and the formulaic answers, each with its own sizes.
numpy and datasketch are imported when first used, not when a process starts."""

import hashlib
from functools import lru_cache


@lru_cache(maxsize=8)
def _hasher(num_perm: int, seed: int, scheme: str | None):
    from datasketch import MinHash

    options = {"scheme": scheme} if scheme else {}
    return MinHash(num_perm=num_perm, seed=seed, **options)


def signature(shingles, *, num_perm: int, seed: int, scheme: str | None = None):
    """The MinHash of these shingles (bytes) as little-endian uint32, `num_perm` long."""
    minhash = _hasher(num_perm, seed, scheme).copy()  # its permutations, computed once
    minhash.clear()
    minhash.update_batch([s for s in shingles if s])
    return minhash.hashvalues.astype("<u4")


def band_keys(sig, *, bands: int, prefix: str = "") -> list[int]:
    """One signed 64-bit key per band, stable across processes; `prefix` (a region's
    code) keeps other scopes' keys apart, the band's number keeps bands apart."""
    rows = len(sig) // bands
    keys = []
    for band in range(bands):
        chunk = f"{prefix}:{band}:".encode() + sig[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def similarity(a, b) -> float:
    """The estimated Jaccard similarity of two signatures (stored bytes or arrays)."""
    import numpy as np

    x, y = (np.frombuffer(bytes(s), dtype="<u4") if isinstance(s, bytes | memoryview) else s
            for s in (a, b))  # fmt: skip
    if x.size != y.size or x.size == 0:
        return 0.0
    return float(np.mean(x == y))


def from_bytes(stored):
    import numpy as np

    return np.frombuffer(bytes(stored), dtype="<u4")
