// examples/ticket_lock/ticket_lock.h: the ticket spinlock model as a schedfuzz target.
#pragma once
#include "schedfuzz/target.h"

const sf::Target& ticket_lock_target();
