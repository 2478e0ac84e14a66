"""A small household form with one repeat (the children), for the tests of repeats in the
results, the exports and the paper entry."""

import io

import openpyxl


def household_form(way_in_repeat: bool = True, repeat: str = "kinder") -> bytes:
    """``way_in_repeat=False``: the same form with the way to school moved after the repeat;
    ``repeat``: the name of the repeat."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "required"])
    sheet.append(["select_one wohnen", "wohnform", "Wie wohnen Sie?", "yes"])
    sheet.append(["begin repeat", repeat, "Kinder im Haushalt", ""])
    sheet.append(["select_one alter", "kind_alter", "Alter des Kindes", "yes"])
    sheet.append(["select_multiple betreuung", "kind_betreuung", "Betreuung des Kindes", ""])
    way = ["integer", "kind_weg", "Weg zur Kita oder Schule (Minuten)", ""]
    if way_in_repeat:
        sheet.append(way)
    sheet.append(["end repeat", "", "", ""])
    if not way_in_repeat:
        sheet.append(way)
    sheet.append(["text", "bemerkung", "Was möchten Sie uns noch sagen?", ""])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["wohnen", "miete", "zur Miete"])
    choices.append(["wohnen", "eigentum", "im Eigentum"])
    choices.append(["alter", "unter_3", "unter 3 Jahre"])
    choices.append(["alter", "3_5", "3 bis 5 Jahre"])
    choices.append(["alter", "6_9", "6 bis 9 Jahre"])
    choices.append(["alter", "10_17", "10 bis 17 Jahre"])
    choices.append(["betreuung", "kita", "Kita"])
    choices.append(["betreuung", "schule", "Schule"])
    choices.append(["betreuung", "hort", "Hort"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Haushaltsumfrage", "haushalt"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def child(age: str, care: list[str] | None = None, way: int | None = None) -> dict:
    entry: dict = {"kind_alter": age}
    if care:
        entry["kind_betreuung"] = care
    if way is not None:
        entry["kind_weg"] = way
    return entry
