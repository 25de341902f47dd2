"""openimr.store"""
