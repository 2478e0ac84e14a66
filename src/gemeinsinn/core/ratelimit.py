"""Flood limits without third-party services: the counted actions of a client (a bucket from
``clients.client_bucket``) are rows in the database, pruned after a day as new ones arrive
(at most once a minute per process: the DELETE cost as much as the INSERT on every action)."""

import datetime as dt
import math

from django.db import connection

from gemeinsinn.core import rows
from gemeinsinn.core.models import RateHit

KEPT = dt.timedelta(days=1)
PRUNE_EVERY = dt.timedelta(minutes=1)
_pruned_at: dt.datetime | None = None


def wait_seconds(bucket: str, limit: int, window: int, now: dt.datetime) -> int:
    """0 when the client may act, else the seconds until its oldest action within the window
    of ``window`` seconds no longer counts. ``limit`` 0 means no limit."""
    if limit <= 0:
        return 0
    since = connection.ops.adapt_datetimefield_value(now - dt.timedelta(seconds=window))
    # plain SQL: this runs before every counted action (a survey wave: hundreds a second),
    # and compiling the ORM query cost five times the lookup itself; the times are only
    # read (as model instances) when the limit is reached
    where = f"FROM {RateHit._meta.db_table} WHERE bucket = %s AND created_at >= %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 {where} LIMIT %s) AS hits", [bucket, since, limit]
        )
        if cursor.fetchone()[0] < limit:
            return 0
    query = f"SELECT id, created_at {where} ORDER BY created_at LIMIT %s"
    hits = [hit.created_at for hit in RateHit.objects.raw(query, [bucket, since, limit])]
    if not hits:  # expired meanwhile
        return 0
    return max(1, math.ceil((hits[0] + dt.timedelta(seconds=window) - now).total_seconds()))


def count(bucket: str, now: dt.datetime) -> None:
    """Count one action of the client (and forget those older than a day)."""
    global _pruned_at
    if _pruned_at is None or not _pruned_at <= now < _pruned_at + PRUNE_EVERY:
        RateHit.objects.filter(created_at__lt=now - KEPT).delete()
        _pruned_at = now
    rows.insert(RateHit(bucket=bucket, created_at=now))  # plain SQL: see core.rows


def seen_since(bucket: str, since: dt.datetime) -> bool:
    return RateHit.objects.filter(bucket=bucket, created_at__gte=since).exists()
