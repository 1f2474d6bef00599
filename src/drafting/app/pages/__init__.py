"""Page scripts run by st.navigation (each calls its view; importing this package runs none)."""
