/*
** opcodes.h - the bytecode of compiled equations (a stack machine).
**
** Each equation compiles to a snippet that pushes its value and ends with
** OP_STORE (write the top of the stack into a variable's slot) and OP_END.
** Operands follow their opcode in the same int32 array. S[0] is the top of
** the stack, S[1] the element below it.
**
** Tag: OPCODES -- keep vm.c's dispatch and compile.c's emitter in step.
*/
#ifndef MIGDEV_OPCODES_H
#define MIGDEV_OPCODES_H

typedef enum opcode {
    OP_END = 0, /*          stop; the snippet is done                 */
    OP_RET,     /*          stop and return S[0] (constant folding)   */
    OP_NUM,     /* k        push pool[k]                              */
    OP_LOAD,    /* i        push v[i]                                 */
    OP_STORE,   /* i        v[i] = pop                                */
    OP_TIME,    /*          push the current time                     */
    OP_DT,      /*          push the time step                        */
    OP_START,   /*          push the start time                       */
    OP_STOP,    /*          push the stop time                        */
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, /* S[1] op S[0]           */
    OP_NEG,     /*          S[0] = -S[0]                              */
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, /* 1 or 0               */
    OP_AND, OP_OR, /*       1 when both / either are non-zero         */
    OP_NOT,     /*          1 when S[0] is zero                       */
    OP_IF,      /*          c a b -> c != 0 ? a : b                   */
    OP_ABS, OP_EXP, OP_LN, OP_LOG10, OP_SQRT, OP_INT,
    OP_SIN, OP_COS, OP_TAN, OP_ASIN, OP_ACOS, OP_ATAN,
    OP_SINH, OP_COSH, OP_TANH,
    OP_MOD,     /*          a b -> a - b*floor(a/b)                   */
    OP_MIN, OP_MAX,
    OP_SAFEDIV, /*          a b z -> b != 0 ? a/b : z                 */
    OP_STEP,    /*          h t -> time >= t ? h : 0                  */
    OP_PULSE,   /*          h start width interval                    */
    OP_RAMP,    /*          slope start end                           */
    OP_LOOKUP,  /* t        S[0] = table t at S[0]                    */
    OP_MAX0,    /*          S[0] = max(S[0], 0)  (non-negative flow)  */
    OP_NNLIMIT, /* r        S[0] cut by non-negative filter nn_rules[r] */
    /* fused forms: the right operand is a variable or a literal */
    OP_ADD_V, OP_SUB_V, OP_MUL_V, OP_DIV_V, /* i  S[0] = S[0] op v[i]    */
    OP_ADD_K, OP_SUB_K, OP_MUL_K, OP_DIV_K, /* k  S[0] = S[0] op pool[k] */
    /* k: the call site; one sample per time step, then the same value */
    OP_RAND_NORMAL,      /* k  mean sd -> mean + N(0, sd)              */
    OP_RAND_UNIFORM,     /* k  min max -> U[min, max)                  */
    OP_RAND_POISSON,     /* k  mean -> Poisson(mean)                   */
    OP_RAND_EXPONENTIAL, /* k  mean -> Exponential(mean)               */
    OP_RAND_LOGNORMAL,   /* k  mean sd -> lognormal of that mean and sd */
    /* n requesters: element width supply r0 p0 ... r(n-1) p(n-1) -> the
       element's share of supply (ALLOCATE BY PRIORITY, vm_alloc_priority) */
    OP_ALLOC_PRIORITY,   /* n                                          */
    /* n requesters: element avail (r type priority width extra) x n ->
       the element's share of avail (ALLOCATE AVAILABLE, vm_alloc_available) */
    OP_ALLOC_AVAILABLE,  /* n                                          */
    OP_COUNT
} opcode;

/* Whether op is followed by one operand word. */
static inline int op_has_operand(int op)
{
    return op == OP_NUM || op == OP_LOAD || op == OP_STORE || op == OP_LOOKUP || op == OP_NNLIMIT ||
           (op >= OP_ADD_V && op <= OP_DIV_K) || (op >= OP_RAND_NORMAL && op <= OP_RAND_LOGNORMAL) || op == OP_ALLOC_PRIORITY ||
           op == OP_ALLOC_AVAILABLE;
}

#endif
