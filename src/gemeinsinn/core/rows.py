"""One row stored in plain SQL, for the few inserts that run hundreds of times a second (a
survey wave): ``Model.objects.create`` compiles its INSERT on every call, which cost several
times the insert itself. Values are prepared by the model's fields exactly as the ORM does
(defaults, ``auto_now_add``, JSON encoders, time zones), but no save signals are sent: use it
only for models nothing listens to."""

from django.db import connection
from django.db.models import Model

_statements: dict[tuple[type, str], tuple[str, list]] = {}


def insert(instance: Model) -> Model:
    """INSERT ``instance`` (a new row) and set its primary key; returns it."""
    model = type(instance)
    key = (model, connection.vendor)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _statement(model)
    sql, fields = statement
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.features.can_return_columns_from_insert:
            pk = cursor.fetchone()[0]
        else:
            pk = cursor.lastrowid
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def _statement(model: type) -> tuple[str, list]:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    if connection.features.can_return_columns_from_insert:
        sql += " RETURNING " + quote(meta.pk.column)
    return sql, fields
