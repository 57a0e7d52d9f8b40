"""Settings: `development` (default), `production`, `test`; all read environment variables."""
