"""The queries every page makes in the same shape: compiled once per process, prepared once per connection."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


@contextmanager
def prepared(using: str = "default") -> Iterator[None]:
    """Queries run inside are prepared statements: PostgreSQL parses them once per connection and, where one plan
    serves every value, plans them once as well.

    Only for lookups whose best plan does not depend on the values – by session key, by user, a network's few
    Sozialräume. Other queries are not prepared: a plan made once for any value took the finder's search at Land
    scale from 2 to 4 ms, because a network of 200 and one of 10,000 institutions need different plans.
    DATABASE_PREPARED_STATEMENTS=false (client-side binding) makes this a no-op.
    """
    connection = connections[using]
    raw = connection.connection
    # Not connected yet: the queries run unprepared this once (connecting here would turn a page that needs no
    # database into an error while the database is down)
    if raw is None or not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        yield
        return
    previous = raw.prepare_threshold
    raw.prepare_threshold = 0  # psycopg: prepare at the first run (the connection's own setting: never)
    try:
        yield
    finally:
        raw.prepare_threshold = previous


class CompiledQuery:
    """A queryset turned into SQL once; each run only puts in its parameters.

    Django builds and compiles a queryset anew every time it runs. For the user's roles, asked on every page of a
    network, that took 0.4 ms – more than PostgreSQL needs to answer the statement, which runs prepared. ``build`` returns the
    queryset for placeholder values, each of which must occur exactly once among the query's parameters;
    ``run(*values)`` returns the model instances iterating that queryset with the real values would return,
    ``select_related`` objects and annotations included. Only for querysets whose SQL does not depend on the
    values (no ``__in`` lists, no conditions that drop out for some values). Placeholders should be ordinary values
    of their fields – Django leaves out a condition it knows to be false, such as a negative number for a positive
    field, and the placeholder is then missing from the parameters.
    """

    def __init__(self, build: Callable[..., QuerySet], *placeholders, using: str = "default"):
        self.build = build
        self.placeholders = placeholders
        self.using = using
        self._compiled = None  # worked out on first use, when the models are ready

    def run(self, *values) -> list[Model]:
        if len(values) != len(self.placeholders):
            raise TypeError(f"{len(self.placeholders)} Werte erwartet, {len(values)} erhalten")
        sql, params, positions, compiler, layout = self._compiled or self._compile()
        params = list(params)
        for position, value in zip(positions, values, strict=True):
            # in the form Django put the placeholder in (with server-side binding, Int4(…) for an integer column)
            params[position] = type(params[position])(value) if isinstance(value, int) else value
        with prepared(self.using), connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        model, start, end, init_list, annotations, populators = layout
        found = []
        for row in compiler.results_iter([rows]):  # the fields' converters, as for the queryset
            instance = model.from_db(self.using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, column in annotations:
                setattr(instance, name, row[column])
            found.append(instance)
        return found

    def _compile(self):
        queryset = self.build(*self.placeholders)
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()  # also fills compiler.select, klass_info and annotation_col_map
        positions = []
        for placeholder in self.placeholders:
            found = [
                index
                for index, param in enumerate(params)
                if param == placeholder and isinstance(param, bool) == isinstance(placeholder, bool)  # True == 1
            ]
            if len(found) != 1:
                raise ValueError(f"Platzhalter {placeholder!r} kommt {len(found)}-mal unter den Parametern vor")
            positions.append(found[0])
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in compiler.select[start:end]]
        populators = get_related_populators(klass_info, compiler.select, self.using)
        layout = (klass_info["model"], start, end, init_list, tuple(compiler.annotation_col_map.items()), populators)
        self._compiled = (sql, tuple(params), tuple(positions), compiler, layout)
        return self._compiled
