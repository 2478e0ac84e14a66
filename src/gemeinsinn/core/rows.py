"""One row stored in plain SQL, for the few inserts that run hundreds of times a second (a
survey wave): ``Model.objects.create`` compiles its INSERT on every call, which cost several
times the insert itself. Values are prepared by the model's fields exactly as the ORM does
(defaults, ``auto_now_add``, JSON encoders, time zones), but no save signals are sent: use it
only for models nothing listens to."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

_statements: dict[tuple[type, str], tuple[str, list, bool]] = {}


def insert(instance: Model) -> Model:
    """INSERT ``instance`` (a new row) and set its primary key; returns it."""
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each use of the proxy costs a lookup
    model = type(instance)
    key = (model, db.vendor)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _statement(model, db)
    sql, fields, returning = statement
    values = [f.get_db_prep_save(f.pre_save(instance, True), db) for f in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    instance._state.adding = False
    instance._state.db = db.alias
    return instance


def _statement(model: type, db) -> tuple[str, list, bool]:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    quote = db.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    # SQLite tells the new row's id without RETURNING (which costs it a result row)
    returning = db.vendor != "sqlite" and db.features.can_return_columns_from_insert
    if returning:
        sql += " RETURNING " + quote(meta.pk.column)
    return sql, fields, returning
