"""openimr.corpus"""
