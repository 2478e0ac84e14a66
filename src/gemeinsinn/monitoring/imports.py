"""Two-step imports from the staff area: an upload is validated and kept (status
"validated" or "rejected") and imported only when a planner confirms it. The import runs
in a background thread; its progress goes to a small file in the data directory so that
any server process can show it while the import's transaction is still open."""

import datetime as dt
import hashlib
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import close_old_connections
from django.utils.translation import gettext as _

from gemeinsinn.areas import services as area_services
from gemeinsinn.formats.problems import InputError, Problem
from gemeinsinn.monitoring import services
from gemeinsinn.monitoring.models import Dataset

log = logging.getLogger(__name__)


def _upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_file(dataset_id: int) -> Path:
    path = Path(settings.DATA_DIR) / "tasks"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"dataset-{dataset_id}.progress"


def _problem_dict(problem: Problem) -> dict:
    return {
        "message": problem.message,
        "location": problem.location(),
        "hint": problem.hint,
        "severity": problem.severity,
    }


def _preview(kind, data, file_name, level, options):
    if kind == "boundaries":
        preview = area_services.preview_boundaries(
            data,
            file_name,
            level,
            **{
                k: options[k]
                for k in ("key_property", "name_property", "parent_property")
                if k in options
            },
        )
        summary = {
            _("Gebiete in der Datei"): len(preview.features),
            _("neue Gebiete"): len(preview.new_keys),
            _("geänderte Grenzen"): len(preview.changed_keys),
            _("unverändert"): len(preview.unchanged_keys),
        }
    else:
        preview = services.preview_statistics(
            data, file_name, level, options.get("year"), _sentinels(options)
        )
        summary = {
            _("Werte"): preview.row_count,
            _("Gebiete"): preview.area_count,
            _("Jahre"): ", ".join(map(str, preview.years)),
            _("Merkmale"): len(preview.indicators),
        }
    return preview, summary


def _sentinels(options: dict) -> tuple[str, ...]:
    return tuple(options.get("sentinels", ()))


def stage_upload(kind, upload, level, *, source="", user=None, options=None) -> Dataset:
    """Validate an uploaded file and keep it for confirmation; nothing is imported yet."""
    options = dict(options or {})
    if isinstance(options.get("valid_from"), dt.date):
        options["valid_from"] = options["valid_from"].isoformat()
    data = upload.read()
    checksum = hashlib.sha256(data).hexdigest()
    suffix = Path(upload.name).suffix.lower()
    stored = _upload_dir() / f"{checksum}{suffix}"
    stored.write_bytes(data)
    preview, summary = _preview(kind, data, upload.name, level, options)
    return Dataset.objects.create(
        kind=kind,
        level=level,
        file_name=upload.name,
        stored_file=stored.name,
        checksum=checksum,
        year=options.get("year"),
        source=source,
        status="rejected" if preview.has_errors else "validated",
        report={
            "problems": [_problem_dict(p) for p in preview.problems],
            "summary": summary,
            "options": options,
        },
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def start_import(dataset: Dataset, user=None) -> None:
    dataset.status = "running"
    dataset.progress = 0
    dataset.save(update_fields=["status", "progress"])
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    if getattr(settings, "GEMEINSINN_INLINE_TASKS", False):
        run_import(dataset.pk, user_id)
    else:
        threading.Thread(target=_in_thread, args=(dataset.pk, user_id), daemon=True).start()


def _in_thread(dataset_id: int, user_id: int | None) -> None:
    """A thread has its own database connection: open it fresh and close it at the end."""
    close_old_connections()
    try:
        run_import(dataset_id, user_id)
    finally:
        close_old_connections()


def run_import(dataset_id: int, user_id: int | None) -> None:
    dataset = Dataset.objects.select_related("level").get(pk=dataset_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    progress_file = _progress_file(dataset_id)

    def progress(percent: int) -> None:
        progress_file.write_text(str(percent))

    try:
        data = (_upload_dir() / dataset.stored_file).read_bytes()
        options = dataset.report.get("options", {})
        if dataset.kind == "boundaries":
            area_services.import_boundaries(
                data,
                dataset.file_name,
                dataset.level,
                valid_from=dt.date.fromisoformat(options["valid_from"]),
                user=user,
                source=dataset.source,
                **{
                    k: options[k]
                    for k in ("key_property", "name_property", "parent_property")
                    if k in options
                },
            )
            dataset.status = "imported"
            dataset.progress = 100
            dataset.save(update_fields=["status", "progress"])
        else:
            services.import_statistics(
                data,
                dataset.file_name,
                dataset.level,
                year=options.get("year"),
                user=user,
                source=dataset.source,
                dataset=dataset,
                progress=progress,
                sentinels=_sentinels(options),
            )
    except InputError as error:
        _fail(dataset_id, [_problem_dict(p) for p in error.problems])
    except Exception as error:  # the database is unchanged: the import ran in one transaction
        log.exception("import of dataset %s failed", dataset_id)
        _fail(
            dataset_id,
            [
                {
                    "message": _("Unerwarteter Fehler beim Import: %(error)s") % {"error": error},
                    "location": "",
                    "hint": "",
                    "severity": "error",
                }
            ],
        )
    finally:
        progress_file.unlink(missing_ok=True)


def _fail(dataset_id: int, problems: list[dict]) -> None:
    dataset = Dataset.objects.get(pk=dataset_id)
    dataset.status = "failed"
    dataset.report = {**dataset.report, "problems": problems}
    dataset.save(update_fields=["status", "report"])


def current_progress(dataset: Dataset) -> int:
    if dataset.status != "running":
        return dataset.progress
    try:
        return int(_progress_file(dataset.pk).read_text() or 0)
    except (OSError, ValueError):
        return 0
