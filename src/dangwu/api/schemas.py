"""What the JSON API takes and returns. Personal values appear only in their masked forms."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Path, Schema

from dangwu.orgs.enums import MemberStatus, NetworkAccess, OrgKind
from dangwu.orgs.models import Member, Organization

# Largest primary key the databases store (signed 64-bit); larger numbers are refused with 422
# instead of overflowing the database driver.
MAX_ID = 2**63 - 1
# No NUL characters: PostgreSQL cannot store or compare them.
NO_NUL = r"^[^\x00]*$"

ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _label(field: str) -> Any:
    """Return a resolver giving the display label of the choices field ``field``."""

    def resolve(obj: Any) -> str:
        return getattr(obj, f"get_{field}_display")()

    return staticmethod(resolve)


def _text(default: Any, max_length: int, **extra: Any) -> Any:
    return Field(default, max_length=max_length, pattern=NO_NUL, **extra)


class ErrorOut(Schema):
    """A refusal with its reason, in the caller's language (Chinese by default)."""

    detail: str


class ValidationErrorOut(Schema):
    """django-ninja's answer to a request that does not match the schema (status 422)."""

    detail: list[dict[str, Any]]


class TokenIn(Schema):
    username: str = _text(..., 150, min_length=1)
    password: str = Field(..., min_length=1, max_length=256)
    name: str = _text("API", 60, description="What the token is for")


class TokenIssuedOut(Schema):
    token: str = Field(..., description="The secret; shown only this once")
    id: int
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the secret")
    created_at: datetime
    last_used_at: datetime | None


class RoleOut(Schema):
    role: str
    role_label: str
    organization_id: int
    organization_name: str

    resolve_role_label = _label("role")

    @staticmethod
    def resolve_organization_name(obj: Any) -> str:
        return obj.organization.name


class MeOut(Schema):
    username: str
    display_name: str
    care_mode: bool
    roles: list[RoleOut]
    member_id: int | None


class OrganizationFilters(Schema):
    kind: OrgKind | None = None
    network_access: NetworkAccess | None = None
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Direct children of")
    under: int | None = Field(None, ge=1, le=MAX_ID, description="Anywhere in the subtree of")
    q: str = _text("", 60, description="Name or short name contains")


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    path: str
    depth: int
    network_access: str
    network_access_label: str

    resolve_kind_label = _label("kind")

    resolve_network_access_label = _label("network_access")


class OrganizationRefOut(Schema):
    id: int
    name: str


class OrganizationDetailOut(OrganizationOut):
    parent: OrganizationRefOut | None
    founded_on: date | None
    contact_person: str
    contact_phone: str
    secretary_computer_literate: bool | None
    secretary_name: str | None

    @staticmethod
    def resolve_secretary_name(obj: Organization) -> str | None:
        return obj.secretary.name if obj.secretary is not None else None


class TreeNodeOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    network_access: str
    network_access_label: str
    member_count: int | None = Field(
        ..., description="Members directly in it; null where the caller may not see members"
    )
    subtree_member_count: int | None
    children: list["TreeNodeOut"]


class MemberFilters(Schema):
    q: str = _text("", 40, description="Name contains, or an exact 18-character ID number")
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="In the subtree of")
    status: MemberStatus | None = None


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    gender_label: str
    organization_id: int
    organization_name: str
    category: str
    category_label: str
    id_number_masked: str
    phone_masked: str
    status: str
    status_label: str

    resolve_gender_label = _label("gender")

    @staticmethod
    def resolve_organization_name(obj: Member) -> str:
        return obj.organization.name

    resolve_category_label = _label("category")

    resolve_status_label = _label("status")


class MemberDetailOut(MemberOut):
    ethnicity: str
    birth_date: date
    education: str
    education_label: str
    joined_on: date
    full_member_on: date | None
    post: str

    resolve_education_label = _label("education")


class RevealIn(Schema):
    reason: str = _text("", 200, description="Why the full values are needed (audited)")


class RevealOut(Schema):
    id_number: str
    phone: str
