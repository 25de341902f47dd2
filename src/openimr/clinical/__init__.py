"""openimr.clinical"""
