"""REST API of the outreach registries (same filters, forms and services as the pages)."""

from ninja import Router

from borderdesk.core.registry.api import add_registry_routes, registry_schema

from .registries import beneficiaries, commitments, programmes, sessions

router = Router(tags=["outreach"])

add_registry_routes(
    router,
    sessions,
    path="sessions",
    out_schema=registry_schema(sessions, name="PropagandaSessionOut", extra=["province", "unit"]),
)
add_registry_routes(
    router,
    commitments,
    path="commitments",
    out_schema=registry_schema(commitments, name="HouseholdCommitmentOut", extra=["province", "unit"]),
)
add_registry_routes(
    router,
    programmes,
    path="programmes",
    out_schema=registry_schema(programmes, name="ProgrammeOut", extra=["province", "unit"]),
)
add_registry_routes(
    router,
    beneficiaries,
    path="beneficiaries",
    out_schema=registry_schema(beneficiaries, name="BeneficiaryOut", extra=["province", "unit"]),
)
