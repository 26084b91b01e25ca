"""One package per scenario, each the migrations of ``deploy_app`` for a test."""
