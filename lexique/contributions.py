"""Pages written by a centre's relays and young contributors: drafts in the admin, reviewed by the centre's team.

A page type takes contributions by inheriting `Contribution`; an index page type under which they are written
inherits `ContributionIndex` (`accepts_contributions = True`), and each centre's contributors group gets Wagtail's
native "add" right on every such index (lexique.signals, and a data migration for the indexes that exist). "Add"
alone lets a person create pages and submit them for moderation, never publish. `Contribution` narrows what they
may edit to their centre's pages and sends the page to that centre's moderation workflow; the credits name the
writers by first name only.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import GroupPagePermission, Page, PagePermissionTester, Revision, WorkflowPage, get_page_models
from wagtail.models.content_types import get_default_page_content_type

from accounts.models import first_name
from quartier.models import CentrePage, Membership, centre_ids_run_by


def contributing_centre_ids(user):
    """The centres where `user` is a relay or a contributor, read once for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_contributing_centre_ids"):
        mine = Membership.objects.contributors().filter(user=user).values_list("centre_id", flat=True)
        user._contributing_centre_ids = frozenset(mine)
    return user._contributing_centre_ids


def contribution_page_models():
    return [model for model in get_page_models() if issubclass(model, Contribution)]


def contribution_index_models():
    return [model for model in get_page_models() if getattr(model, "accepts_contributions", False)]


def grant_contributors(groups=None, indexes=None):
    """Give the contributors groups (all by default) Wagtail's "add" on the contribution indexes (all by default)."""
    if groups is None:
        groups = Group.objects.filter(contributors_of__isnull=False)
    if indexes is None:
        indexes = [page for model in contribution_index_models() for page in model.objects.all()]
    add = Permission.objects.get(content_type=get_default_page_content_type(), codename="add_page")
    for group in groups:
        for index in indexes:
            GroupPagePermission.objects.get_or_create(group=group, page=index, permission=add)


class ContributionPermissionTester(PagePermissionTester):
    """Wagtail's rights, narrowed for those who only write: their centre's pages, never another centre's.

    Whoever runs the page's centre may publish it: its team reviews what its writers submit.
    """

    def _only_writes(self):
        return not self.user.is_superuser and "change" not in getattr(self, "permissions", ())

    def _in_their_centres(self):
        return self.page.centre_id is not None and self.page.centre_id in contributing_centre_ids(self.user)

    def can_edit(self):
        if self.user.is_active and self._only_writes() and "add" in self.permissions:
            # A colleague's draft is edited as one's own; another centre's page only by its reviewers.
            if self._in_their_centres():
                return True
            task = self.page.current_workflow_task
            return bool(task and task.user_can_access_editor(self.page, self.user))
        return super().can_edit()

    def can_publish(self):
        # The centre's team approves its contributions, and approving publishes them where it has no other right.
        if self.user.is_active and self.page.centre_id in centre_ids_run_by(self.user):
            return True
        return super().can_publish()

    def can_delete(self, ignore_bulk=False):
        if self._only_writes() and not self._in_their_centres():
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)


class ContributionForm(WagtailAdminPageForm):
    """The page's centre: set from the writer's membership, chosen among theirs if they have several."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writes_for_centres = None
        field = self.fields.get("centre")
        user = self.for_user
        if field is None or user is None or user.is_superuser:
            return
        parent = self.parent_page or self.instance.get_parent()
        if "change" in getattr(parent.permissions_for_user(user), "permissions", ()):
            return  # the network's editors place a page in any centre, or in none
        mine = contributing_centre_ids(user)
        if not mine or (self.instance.centre_id is not None and self.instance.centre_id not in mine):
            # A reviewer of the centre's team edits the page where it is.
            field.disabled = True
            return
        self.writes_for_centres = mine
        field.queryset = CentrePage.objects.filter(pk__in=mine).order_by("title")
        field.empty_label = None
        if len(mine) == 1:
            (only,) = mine
            self.initial["centre"] = only
            field.disabled = True

    def clean(self):
        cleaned_data = super().clean()
        # Saving a draft lets required fields wait; a page without centre would slip out of its writer's reach.
        if self.writes_for_centres is not None and not cleaned_data.get("centre"):
            self.add_error("centre", ValidationError(gettext("Choisissez le centre pour lequel vous écrivez.")))
        # A network page has only the site's own review, if the network kept one (ContributionIndex.has_workflow).
        if self.data.get("action-submit") and not cleaned_data.get("centre"):
            # Wagtail's own workflow for the page's place in the tree (a new page's is its parent's).
            place = self.instance if self.instance.pk else self.parent_page
            if place is not None and Page.get_workflow(place) is None:
                refused = gettext("Choisissez le centre dont l'équipe relira la page.")
                self.add_error("centre", ValidationError(refused))
        return cleaned_data


class ContributionIndex(models.Model):
    """An index page under which relays and contributors write `Contribution` pages, for their centre's review.

    Wagtail offers "submit for review" on a new page, and accepts it, only when the page's parent has a workflow.
    The pages written here go to their centre's workflow (Contribution.get_workflow), so this index has one as soon
    as a centre has, even when the network removed Wagtail's default workflow from the site's root.
    """

    accepts_contributions = True

    class Meta:
        abstract = True

    @property
    def has_workflow(self):
        return super().has_workflow or WorkflowPage.objects.filter(workflow__active=True).exists()


class Contribution(models.Model):
    """A page a centre's relays and contributors write: its centre, its rights, its review, its credits.

    Put it first among the page's bases: `class TermPage(Contribution, …, Page)`.
    """

    centre = models.ForeignKey(
        "quartier.CentrePage",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Le centre dont l'équipe a écrit la page. Vide : une page du réseau."),
    )

    base_form_class = ContributionForm
    settings_panels = [*Page.settings_panels, FieldPanel("centre")]

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        return ContributionPermissionTester(user, self)

    def get_workflow(self):
        """The moderation workflow of the page's centre, so that its own team reviews it; else Wagtail's."""
        if self.centre_id is not None and getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            centre = Page.objects.filter(pk=self.centre_id).first()
            workflow = centre.get_workflow() if centre else None
            if workflow is not None:
                return workflow
        return super().get_workflow()

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    def credit(self):
        """This page's credit, or None, in one query (a page read alone; lists use `credits_of`)."""
        if self.centre_id is None:
            return None
        authors = Revision.objects.page_revisions().filter(object_id=str(self.pk)).values("user_id")
        writers = list(
            Membership.objects.contributors()
            .filter(centre_id=self.centre_id)
            .filter(models.Q(user_id=self.owner_id) | models.Q(user_id__in=authors))
            .select_related("user", "centre")
        )
        return credited(self, writers) if writers else None


@dataclass
class Credit:
    """Who wrote a page, for its readers: first names, their roles, their centre."""

    centre: CentrePage
    writers: list  # memberships, the page's owner first

    @property
    def names(self):
        names = [first_name(membership.user) for membership in self.writers]
        if len(names) == 1:
            return names[0]
        return gettext("%(names)s et %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}

    @property
    def roles(self):
        count = len(self.writers)
        roles = {membership.role for membership in self.writers}
        if roles == {Membership.Role.RELAY}:
            return ngettext("habitant-relais", "habitants-relais", count)
        if roles == {Membership.Role.CONTRIBUTOR}:
            return ngettext("jeune contributeur", "jeunes contributeurs", count)
        return gettext("habitants-relais et jeunes contributeurs")


def credits_of(pages):
    """Each page's credit (by page id), or none when no relay or contributor of its centre wrote it. Two queries.

    The writers are the page's owner and the authors of its revisions who are relays or contributors of the
    page's centre: a reviewer's edits credit nobody new.
    """
    pages = [page for page in pages if page.centre_id is not None]
    if not pages:
        return {}
    authors = defaultdict(set)
    revisions = Revision.objects.page_revisions().filter(object_id__in=[str(page.pk) for page in pages])
    for object_id, user_id in revisions.values_list("object_id", "user_id").distinct():
        authors[int(object_id)].add(user_id)
    for page in pages:
        authors[page.pk].add(page.owner_id)
    members = (
        Membership.objects.contributors()
        .filter(centre_id__in={page.centre_id for page in pages})
        .filter(user_id__in=set().union(*authors.values()) - {None})
        .select_related("user", "centre")
    )
    by_centre_and_user = {(membership.centre_id, membership.user_id): membership for membership in members}
    credits = {}
    for page in pages:
        writers = [
            by_centre_and_user[(page.centre_id, user_id)]
            for user_id in authors[page.pk]
            if (page.centre_id, user_id) in by_centre_and_user
        ]
        if writers:
            credits[page.pk] = credited(page, writers)
    return credits


def credited(page, writers):
    """The credit of `page` written by `writers` (their memberships of its centre): its owner first, then A–Z."""
    writers = sorted(writers, key=lambda writer: (writer.user_id != page.owner_id, first_name(writer.user)))
    return Credit(centre=writers[0].centre, writers=writers)


def contributions_by_centre():
    """Each centre's published contributions with their credits, A–Z, in a fixed number of queries."""
    pages = []
    for model in contribution_page_models():
        pages += (
            model.objects.live().public().filter(centre__isnull=False).select_related("centre").defer_streamfields()
        )
    credits = credits_of(pages)
    by_centre = defaultdict(list)
    for page in pages:
        if page.pk in credits:
            by_centre[page.centre].append((page, credits[page.pk]))
    return [
        (centre, sorted(contributions, key=lambda item: item[0].title.casefold()))
        for centre, contributions in sorted(by_centre.items(), key=lambda item: item[0].title.casefold())
    ]


def contributors_of(page):
    """The relays and contributors who wrote `page` (users), to tell them what became of it."""
    credit = page.credit()
    return [membership.user for membership in credit.writers] if credit else []
