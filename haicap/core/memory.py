"""A web worker's large, short-lived blocks go back to the operating system when freed.

glibc's malloc serves a block over its mmap threshold (128 KiB at start) with its own mapping,
unmapped on free; but freeing one raises the threshold to that block's size, so the next blocks
of that size come from the heap, which keeps them. A sign-in hashes the password with Argon2
in 19 MiB: without a fixed threshold each worker would hold those 19 MiB (and more, one per
arena its threads touched) for the rest of its life. Setting the threshold fixes it, and
switches the raising off (mallopt(3)).
"""

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # from <malloc.h>
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value


def return_large_blocks_to_the_os() -> bool:
    """Fix malloc's mmap threshold, where the C library is glibc; False where it cannot be
    (another C library: it manages large blocks its own way)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
