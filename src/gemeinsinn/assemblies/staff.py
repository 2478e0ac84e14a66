"""Staff pages of the Bürgerrat (role `buergerrat`): the sample of the register with the
letters, the volunteers with their personal data and paper replies, the quotas with the
feasibility check, the draw, replacements and the next term."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gemeinsinn.assemblies import services, tasks
from gemeinsinn.assemblies.forms import (
    RegisterUploadForm,
    RegistrationForm,
    ReplacementForm,
    SeedForm,
    SeedSourceForm,
    TermForm,
)
from gemeinsinn.assemblies.models import DRAWN, Assembly, Draw
from gemeinsinn.formats.problems import InputError


def _assembly(request, slug) -> Assembly:
    if not services.may_manage(request.user):
        raise PermissionDenied(_("Diese Seite ist der Bürgerrat-Geschäftsstelle vorbehalten."))
    return get_object_or_404(Assembly, slug=slug)


@login_required
def index(request):
    if not services.may_manage(request.user):
        raise PermissionDenied(_("Diese Seite ist der Bürgerrat-Geschäftsstelle vorbehalten."))
    return render(request, "assemblies/staff/index.html", {"assemblies": Assembly.objects.all()})


@login_required
def manage(request, slug):
    assembly = _assembly(request, slug)
    upload = RegisterUploadForm()
    problems = []
    status = 200
    if request.method == "POST" and request.POST.get("action") == "sample":
        upload = RegisterUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            file, streets = upload.cleaned_data["file"], upload.cleaned_data["directory"]
            try:
                directory = streets and services.read_street_directory(
                    streets.read(), streets.name, assembly.district_level
                )
                services.draw_sample(
                    assembly,
                    file.read(),
                    file.name,
                    upload.cleaned_data["size"],
                    upload.cleaned_data["seed"],
                    user=request.user,
                    directory=directory or None,
                )
            except InputError as error:
                problems, status = error.problems, 400
            except services.AssemblyError as error:
                problems, status = [error.message], error.status
            else:
                messages.success(request, _("Die Einladungen sind gezogen."))
                return redirect("assemblies:manage", slug=slug)
        else:
            status = 400
    return render(
        request,
        "assemblies/staff/manage.html",
        {
            "assembly": assembly,
            "upload": upload,
            "problems": problems,
            "sample": services.sample_table(assembly),
            "invitation_count": assembly.invitations.count(),
            "volunteer_count": assembly.volunteers.count(),
            "deletion_date": services.deletion_date(assembly),
            "letters": services.letters_path(assembly).exists(),
            "letters_progress": tasks.progress(assembly, tasks.LETTERS),
        },
        status=status,
    )


@login_required
def letters(request, slug):
    """GET: the stored letters; POST: write them anew in the background."""
    assembly = _assembly(request, slug)
    if request.method == "POST":
        url = request.build_absolute_uri(reverse("assemblies:register", args=[slug]))
        try:
            tasks.start_letters(assembly, url)
        except services.AssemblyError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, _("Die Briefe werden erzeugt."))
        return redirect("assemblies:manage", slug=slug)
    path = services.letters_path(assembly)
    if not path.exists():
        raise Http404(_("Die Briefe sind noch nicht erzeugt."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{slug}-briefe.pdf")


@login_required
def print_shop(request, slug):
    assembly = _assembly(request, slug)
    response = HttpResponse(
        "\ufeff" + services.print_shop_csv(assembly), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-druckerei.csv"'
    return response


@login_required
def volunteers(request, slug):
    assembly = _assembly(request, slug)
    form = RegistrationForm(request.POST or None, assembly=assembly)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                volunteer = services.register_volunteer(
                    assembly, data["code"], form.features(), consent=data["consent"],
                    email=data["email"], phone=data["phone"], user=request.user,
                )  # fmt: skip
            except services.AssemblyError as error:
                errors, status = [error.message], error.status
            else:
                messages.success(
                    request,
                    _("Rückmeldung erfasst: %(id)s.") % {"id": volunteer.pseudonym},
                )
                return redirect("assemblies:volunteers", slug=slug)
        else:
            status = 400
    return render(
        request,
        "assemblies/staff/volunteers.html",
        {
            "assembly": assembly,
            "form": form,
            "errors": errors,
            "volunteers": assembly.volunteers.select_related("invitation__area"),
            "open_invitations": assembly.invitations.filter(volunteer__isnull=True)[:20],
        },
        status=status,
    )


@login_required
def quotas(request, slug):
    assembly = _assembly(request, slug)
    errors, status = [], 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "propose":
                services.save_quotas(assembly, services.propose_quotas(assembly), request.user)
            else:
                services.save_quotas(assembly, _posted_quotas(assembly, request.POST), request.user)
        except services.AssemblyError as error:
            errors, status = [error.message], 400
        else:
            messages.success(request, _("Die Quoten sind gespeichert."))
            return redirect("assemblies:quotas", slug=slug)
    report = None
    if assembly.status != DRAWN and assembly.quotas.exists() and assembly.volunteers.exists():
        try:
            report = services.check_quotas(assembly)
        except services.AssemblyError as error:
            errors.append(error.message)
    return render(
        request,
        "assemblies/staff/quotas.html",
        {"assembly": assembly, "quotas": assembly.quotas.all(), "report": report, "errors": errors},
        status=status,
    )


def _posted_quotas(assembly, data) -> list[services.QuotaProposal]:
    rows = []
    for quota in assembly.quotas.all():
        try:
            low = int(data.get(f"min_{quota.pk}", ""))
            high = int(data.get(f"max_{quota.pk}", ""))
        except ValueError:
            raise services.AssemblyError(
                _("%(f)s = %(v)s: Bitte ganze Zahlen eintragen.")
                % {"f": quota.feature, "v": quota.value}
            ) from None
        if low < 0 or high < 0:
            raise services.AssemblyError(
                _("%(f)s = %(v)s: Zahlen dürfen nicht negativ sein.")
                % {"f": quota.feature, "v": quota.value}
            )
        rows.append(services.QuotaProposal(quota.feature, quota.value, low, high, quota.target, ""))
    return rows


@login_required
def draw(request, slug):
    assembly = _assembly(request, slug)
    prepared = assembly.draws.filter(kind=Draw.PANEL).first()
    source_form = SeedSourceForm(initial={"seed_source": assembly.seed_source})
    seed_form = SeedForm()
    members = services.current_panel(assembly)
    replacement_form = ReplacementForm(members=members)
    term_form = TermForm()
    errors, status = [], 200
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "prepare":
            source_form = SeedSourceForm(request.POST)
            if source_form.is_valid():
                assembly.seed_source = source_form.cleaned_data["seed_source"]
                assembly.save(update_fields=["seed_source"])
                tasks.start_distribution(
                    assembly, request.user, source_form.cleaned_data["algorithm"]
                )
                return redirect("assemblies:draw", slug=slug)
        elif action == "complete" and prepared is not None:
            seed_form = SeedForm(request.POST)
            if seed_form.is_valid():
                services.complete_draw(prepared, seed_form.cleaned_data["seed"], request.user)
                messages.success(request, _("Der Bürgerrat ist ausgelost."))
                return redirect("assemblies:draw", slug=slug)
        elif action == "replace":
            replacement_form = ReplacementForm(request.POST, members=members)
            if replacement_form.is_valid():
                dropped = assembly.volunteers.get(pseudonym=replacement_form.cleaned_data["member"])
                result = services.replace_member(
                    assembly,
                    dropped,
                    replacement_form.cleaned_data["seed"],
                    request.user,
                    replacement_form.cleaned_data["seed_source"],
                )
                messages.success(
                    request,
                    _("%(new)s rückt für %(old)s nach.")
                    % {"new": result.panel[0], "old": result.replaced},
                )
                return redirect("assemblies:draw", slug=slug)
        elif action == "term":
            term_form = TermForm(request.POST)
            if term_form.is_valid():
                new = services.next_term(assembly, user=request.user, **term_form.cleaned_data)
                messages.success(request, _("Die neue Amtszeit ist angelegt."))
                return redirect("assemblies:manage", slug=new.slug)
    except services.AssemblyError as error:
        errors = [error.message]
    if action:  # a successful action has redirected
        status = 400
    return render(
        request,
        "assemblies/staff/draw.html",
        {
            "assembly": assembly,
            "prepared": prepared,
            "source_form": source_form,
            "seed_form": seed_form,
            "replacement_form": replacement_form,
            "term_form": term_form,
            "members": members,
            "errors": errors,
            "progress": tasks.progress(assembly),
        },
        status=status,
    )


@login_required
def draw_progress(request, slug):
    """The progress box, polled by the draw page; reloads the page when the work is done."""
    assembly = _assembly(request, slug)
    current = tasks.progress(assembly)
    if current and current["state"] == "running":
        return render(
            request, "assemblies/staff/_progress.html", {"assembly": assembly, "progress": current}
        )
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def erase(request, slug):
    assembly = _assembly(request, slug)
    done = services.delete_expired_personal_data()
    if assembly in done:
        messages.success(request, _("Die Personendaten sind gelöscht."))
    else:
        messages.info(
            request,
            _("Die Löschfrist endet erst am %(date)s.")
            % {"date": services.deletion_date(assembly).strftime("%d.%m.%Y")},
        )
    return redirect("assemblies:manage", slug=slug)
