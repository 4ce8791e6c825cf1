from dangwu.orgs.imports import members_import
from dangwu.orgs.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = "Import member records from an .xlsx or .csv file (template: docs/import-templates.md)."
    run = staticmethod(members_import)
