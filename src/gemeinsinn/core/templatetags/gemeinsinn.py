from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look up a key in a dict from a template: {{ labels|get_item:number }}."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def kern_widget(field):
    """Render a form field's widget with KERN classes and its hint and error linked for
    screen readers."""
    widget = field.field.widget
    is_select = widget.input_type == "select" if hasattr(widget, "input_type") else False
    css = "kern-form-input__select" if is_select else "kern-form-input__input"
    if field.errors:
        css += f" {css}--error"
    described = []
    if field.help_text:
        described.append(f"{field.id_for_label}-hint")
    if field.errors:
        described.append(f"{field.id_for_label}-error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
