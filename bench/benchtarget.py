"""The module whose functions bench/percall.py times, bare and wrapped."""


def f(x):
    return x


class C:
    def m(self, x):
        return x

    @classmethod
    def cm(cls, x):
        return x


async def af(x):
    return x
