"""newsdedup: find syndicated copies and stories in news feeds."""
