from dangwu.orgs.imports import organizations_import
from dangwu.orgs.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import organizations from an .xlsx or .csv file (template: docs/import-templates.md)."
    run = staticmethod(organizations_import)
