"""Query lookups the apps share."""

from __future__ import annotations

from django.db import models


@models.Field.register_lookup
class Any(models.Lookup):
    """`field__any=[…]` → `field = ANY(%s)` with the list as one array parameter.

    For a few thousand ids, `IN (%s, %s, …)` with one placeholder per value costs more to build and for
    PostgreSQL to parse than the query takes to run.
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
