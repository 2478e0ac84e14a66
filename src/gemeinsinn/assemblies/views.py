"""Public pages of the Bürgerrat: the list, the public record of each council (stage, the
announced seed source, the draws with checksums, pseudonymous panel and published files)
and the registration of volunteers with the code of their letter. No personal data."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gemeinsinn.assemblies import services
from gemeinsinn.assemblies.forms import RegistrationForm
from gemeinsinn.assemblies.models import REGISTERING, Assembly, Draw
from gemeinsinn.core.clients import client_address


def assembly_list(request):
    return render(request, "assemblies/list.html", {"assemblies": Assembly.objects.all()})


def detail(request, slug):
    assembly = get_object_or_404(Assembly, slug=slug)
    draws = list(assembly.draws.all())
    return render(
        request,
        "assemblies/detail.html",
        {
            "assembly": assembly,
            "draws": draws,
            "panel": services.current_panel(assembly) or _public_panel(draws),
            "quotas": assembly.quotas.all(),
            "volunteer_count": assembly.volunteers.count(),
            "invited_count": sum(v["invited"] for v in assembly.sample_plan.values()),
        },
    )


def _public_panel(draws: list[Draw]) -> list[str]:
    """After the deletion the panel follows from the public draws alone."""
    panel: set[str] = set()
    for draw in draws:
        if draw.panel_number is None:
            continue
        panel = (
            set(draw.panel)
            if draw.kind == Draw.PANEL
            else (panel - {draw.replaced}) | set(draw.panel)
        )
    return sorted(panel)


FILES = {
    "verteilung.csv": "distribution_csv",
    "freiwillige.csv": "pool_csv",
    "quoten.csv": "quotas_csv",
}


def download(request, slug, pk, name):
    draw = get_object_or_404(Draw, pk=pk, assembly__slug=slug)
    if name not in FILES:
        raise Http404
    response = HttpResponse(getattr(draw, FILES[name]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{pk}-{name}"'
    return response


def register(request, slug):
    assembly = get_object_or_404(Assembly, slug=slug)
    if assembly.status != REGISTERING:
        return render(request, "assemblies/register.html", {"assembly": assembly, "closed": True})
    form = RegistrationForm(request.POST or None, assembly=assembly)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.register_volunteer(
                    assembly,
                    data["code"],
                    form.features(),
                    consent=data["consent"],
                    email=data["email"],
                    phone=data["phone"],
                    client=client_address(request),
                )
            except services.AssemblyError as error:
                errors, status = [error.message], error.status
            else:
                messages.success(
                    request,
                    _("Vielen Dank! Sie sind angemeldet und nehmen an der Auslosung teil."),
                )
                return redirect("assemblies:thanks", slug=assembly.slug)
        else:
            status = 400
    return render(
        request,
        "assemblies/register.html",
        {"assembly": assembly, "form": form, "errors": errors},
        status=status,
    )


def thanks(request, slug):
    assembly = get_object_or_404(Assembly, slug=slug)
    return render(request, "assemblies/thanks.html", {"assembly": assembly})
