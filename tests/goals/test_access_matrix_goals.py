"""Access matrix of the goals pages; test_access_matrix.test_every_url_pattern_has_an_entry reads MATRIX."""

from __future__ import annotations

from tests.test_access_matrix import Route

MATRIX: list[Route] = []
