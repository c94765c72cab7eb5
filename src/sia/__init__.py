"""SIA: Sistem Informasi Arsitektur SPBE."""
