"""OAuth2 client-credentials: partner clients, scopes per API and realm, bearer tokens."""
