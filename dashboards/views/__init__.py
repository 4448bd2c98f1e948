"""One module per view. Each has ``layout(ctx, lang, route, search)`` → main content and,
when it has controls, ``register(app, ctx)`` for its callbacks; ``TITLE`` keys name the
page title in :mod:`dashboards.i18n`."""
