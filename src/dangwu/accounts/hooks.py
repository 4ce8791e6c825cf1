from dangwu.accounts.demo import build_accounts
from dangwu.core import hooks

hooks.register("demo_builders")(build_accounts)
